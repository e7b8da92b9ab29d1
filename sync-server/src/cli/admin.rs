//! Administration commands. They open the database file directly through
//! the same store the server uses, so they work with the server stopped or
//! running (SQLite serializes the writers).

use std::path::Path;

use anyhow::{bail, Context};
use domain::clock::{Clock, SystemClock};
use domain::sync::{DeviceRole, OperatorRole};
use domain::FieldRule;
use uuid::Uuid;

use super::{
    AccountCommand, AuditCommand, CenterCommand, CodeCommand, Command, DeviceCommand,
    OperatorCommand, OperatorRoleArg, PortalClientCommand, RoleArg,
};
use crate::secrets;
use crate::store::sqlite::{Durability, SqliteStore};
use crate::store::{AuditReport, Center, NewOperator, Store};

/// Runs one administration command.
pub fn run(database: &Path, command: Command) -> anyhow::Result<()> {
    let store = SqliteStore::open(database, Durability::Full)
        .with_context(|| format!("cannot use database {}", database.display()))?;
    let now = SystemClock.now();
    match command {
        Command::Serve(_) => bail!("serve is not an administration command"),
        Command::Center(CenterCommand::Add {
            name,
            address,
            time_zone,
            latitude,
            longitude,
        }) => {
            if jiff::tz::TimeZone::get(&time_zone).is_err() {
                bail!("неизвестный часовой пояс «{time_zone}»; укажите имя IANA, например Europe/Moscow");
            }
            if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
                bail!("координаты вне диапазона: широта от -90 до 90, долгота от -180 до 180");
            }
            if name.trim().is_empty() || address.trim().is_empty() {
                bail!("название и адрес центра не должны быть пустыми");
            }
            let center = Center {
                id: Uuid::now_v7(),
                name,
                address,
                time_zone,
                latitude,
                longitude,
            };
            store.add_center(&center, now)?;
            println!("{}", center.id);
        }
        Command::EnrollToken(args) => {
            let role = match args.role {
                RoleArg::Kiosk => DeviceRole::Kiosk,
                RoleArg::Operator => DeviceRole::Operator,
            };
            if args.valid_hours == 0 || args.valid_hours > 24 * 30 {
                bail!("срок действия токена должен быть от 1 до 720 часов");
            }
            let lifetime = jiff::SignedDuration::from_hours(args.valid_hours.into());
            let expires_at = now.checked_add(lifetime)?;
            let token = secrets::random_token(20);
            store.add_enroll_token(
                args.center,
                role,
                &secrets::sha256_hex(token.as_bytes()),
                expires_at,
                now,
            )?;
            eprintln!("Токен действует до {expires_at} и показывается один раз:");
            println!("{token}");
        }
        Command::Device(DeviceCommand::List) => {
            for device in store.list_devices()? {
                let state = match device.revoked_at {
                    Some(at) => format!("revoked {at}"),
                    None => "active".to_owned(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    device.id,
                    device.center_id,
                    device.role.as_str(),
                    state,
                    device.label
                );
            }
        }
        Command::Device(DeviceCommand::Revoke { id }) => {
            store.revoke_device(id, "admin-cli", now)?;
            eprintln!("устройство {id} отозвано");
        }
        Command::Operator(command) => operator(&store, command, now)?,
        Command::PortalClient(PortalClientCommand::Add { label }) => {
            let label = label.trim();
            if label.is_empty() || label.chars().count() > 100 {
                bail!("название клиента портала должно содержать от 1 до 100 символов");
            }
            let token = secrets::random_token(32);
            let client =
                store.add_portal_client(label, &secrets::sha256_hex(token.as_bytes()), now)?;
            eprintln!(
                "Клиент портала {} добавлен. Токен показывается один раз; портал отправляет \
                 его в заголовке Authorization: Bearer:",
                client.id
            );
            println!("{token}");
        }
        Command::PortalClient(PortalClientCommand::Revoke { id }) => {
            store.revoke_portal_client(id, now)?;
            eprintln!("клиент портала {id} отозван");
        }
        Command::Code(CodeCommand::Redeem { snils }) => {
            let snils = domain::snils::parse_snils(&snils)
                .map_err(|err| anyhow::anyhow!("СНИЛС: {}", err.message(domain::Lang::Ru)))?;
            let typed = super::password::read_line("Код подтверждения: ")?;
            let code = domain::confirmation_code::ConfirmationCode::parse(&typed)
                .map_err(|err| anyhow::anyhow!("код: {}", err.message(domain::Lang::Ru)))?;
            let redeemed = store.redeem_code(
                &secrets::sha256_hex(code.as_str().as_bytes()),
                &snils.digits(),
                "admin-cli",
                now,
            )?;
            println!("{}", redeemed.request_id);
        }
        Command::Account(AccountCommand::Show { snils }) => {
            let snils = domain::snils::parse_snils(&snils)
                .map_err(|err| anyhow::anyhow!("СНИЛС: {}", err.message(domain::Lang::Ru)))?;
            let Some(account) = store.account(&snils)? else {
                bail!(
                    "учётная запись с этим СНИЛС на сервере не найдена: её создаёт только \
                     подтверждение личности в центре; проверьте СНИЛС"
                );
            };
            println!(
                "уровень: {}",
                account.level.name_lowercase(domain::Lang::Ru)
            );
            println!("изменён: {}", account.updated_at);
            print_confirmation(store.account_profile(&snils)?);
        }
        Command::Trust(command) => super::trust::run(&store, command, now)?,
        Command::Audit(AuditCommand::Verify) => match store.verify_audit()? {
            AuditReport::Intact { entries } => {
                println!("audit log intact: {entries} entries");
                // Printed so it can be copied to a log on another machine:
                // a later verify against it catches a rewritten head file too.
                if let Some(head) = store.audit_head()? {
                    println!("head: {} {}", head.seq, head.hash);
                }
            }
            AuditReport::Broken { seq, reason } => {
                bail!("журнал аудита повреждён на записи {seq}: {reason}")
            }
        },
    }
    Ok(())
}

fn operator(
    store: &SqliteStore,
    command: OperatorCommand,
    now: jiff::Timestamp,
) -> anyhow::Result<()> {
    match command {
        OperatorCommand::Add {
            center,
            login,
            role,
        } => {
            let login = login.trim().to_owned();
            if login.is_empty() || login.chars().count() > 64 {
                bail!("логин должен содержать от 1 до 64 символов");
            }
            let role = match role {
                OperatorRoleArg::Operator => OperatorRole::Operator,
                OperatorRoleArg::Supervisor => OperatorRole::Supervisor,
                OperatorRoleArg::Administrator => OperatorRole::Administrator,
            };
            let password = super::password::read_new_password()?;
            let hash = secrets::hash_password(&password).map_err(anyhow::Error::msg)?;
            let id = store.add_operator(
                &NewOperator {
                    center_id: center,
                    login,
                    role,
                },
                &hash,
                now,
            )?;
            println!("{id}");
        }
        OperatorCommand::Lock { login } => {
            store.set_operator_disabled(&login, true, "admin-cli", now)?;
            eprintln!("учётная запись «{login}» заблокирована");
        }
        OperatorCommand::Unlock { login } => {
            store.set_operator_disabled(&login, false, "admin-cli", now)?;
            eprintln!("учётная запись «{login}» разблокирована");
        }
        OperatorCommand::ResetPassword { login } => {
            let password = super::password::read_new_password()?;
            let hash = secrets::hash_password(&password).map_err(anyhow::Error::msg)?;
            store.set_operator_password(&login, &hash, now)?;
            eprintln!("пароль «{login}» изменён, сеансы завершены");
        }
    }
    Ok(())
}

/// Prints how the account's identity was confirmed and where its name
/// comes from; an account without a profile was confirmed by an operator.
fn print_confirmation(profile: Option<crate::store::AccountProfile>) {
    match profile {
        Some(profile) => {
            println!("способ подтверждения: квалифицированная электронная подпись");
            println!(
                "сертификат: издатель «{}», серийный номер {}",
                profile.certificate_issuer, profile.certificate_serial
            );
            println!("подтверждена: {}", profile.confirmed_at);
            if profile.has_inn {
                println!("ФИО и ИНН: из сертификата");
            } else {
                println!("ФИО: из сертификата");
            }
        }
        None => {
            println!("способ подтверждения: лично в центре обслуживания");
            println!("ФИО: из заявления, проверенного оператором по паспорту");
        }
    }
}
